"""Benchmarks for issue 7: a realistic data generator and a benchmark command.

    python -m benchmarks.generate URL --users 20          # fill a database with years of training
    python -m benchmarks.run [--backends sqlite,postgresql] [--scales 1,20] [--quick]

Nothing here is imported by the app; the tests in tests/bench run it at a tiny scale.
"""
