"""OverloadApp: the Textual application, handed a ``Services`` object (tests hand their own).

Database work never runs on the UI thread: ``call_service`` queues it on one background thread
(first in, first out, so two quick Enters save two sets in order) and hands the result, or the
error, back to the UI thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from textual.app import App
from textual.reactive import reactive

from overload_tui.domain.errors import OverloadError
from overload_tui.services import Services
from overload_tui.services.dto import UserInfo
from overload_tui.services.workouts import WorkoutService

log = logging.getLogger(__name__)
T = TypeVar("T")


class OverloadApp(App[None]):
    TITLE = "overload"
    SUB_TITLE = "progressive overload tracker"

    user: reactive[UserInfo | None] = reactive(None)

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="overload-db")
        self._last_future: Future | None = None

    # -- service calls ------------------------------------------------------------------------
    @property
    def workouts(self) -> WorkoutService:
        if self.user is None:
            raise RuntimeError("no user is logged in")
        return self.services.workouts(self.user.id)

    def call_service(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], Any] | None = None,
        on_error: Callable[[OverloadError], Any] | None = None,
        **kwargs: Any,
    ) -> Future:
        """Run ``fn(*args, **kwargs)`` on the database thread; call back on the UI thread.

        A domain error goes to ``on_error`` (or a notification); an unexpected one is logged and
        shown as a short notification, never a traceback.
        """

        def job() -> None:
            try:
                result = fn(*args, **kwargs)
            except OverloadError as error:
                self._deliver(on_error or self._notify_error, error)
            except Exception as error:  # noqa: BLE001 - the UI must survive anything
                log.exception("service call %s failed", getattr(fn, "__name__", fn))
                self._deliver(on_error or self._notify_error, OverloadError(f"Unexpected error: {type(error).__name__}"))
            else:
                if on_done is not None:
                    self._deliver(on_done, result)

        future = self._executor.submit(job)
        self._last_future = future
        return future

    def _deliver(self, callback: Callable[[Any], Any], value: Any) -> None:
        try:
            self.call_from_thread(callback, value)
        except RuntimeError:  # the app is closing: nothing to show it on
            pass

    def _notify_error(self, error: OverloadError) -> None:
        self.notify(str(error), title="Not saved" if "database" in str(error).lower() else "Error",
                    severity="error", markup=False)

    async def wait_for_service(self) -> None:
        """Wait until every queued service call has run (tests, and quitting)."""
        while (future := self._last_future) is not None and not future.done():
            await asyncio.wrap_future(future)
        await asyncio.sleep(0)

    async def action_quit(self) -> None:
        await self.wait_for_service()
        self.exit()

    def on_unmount(self) -> None:
        # Let a set whose Enter was pressed reach the database before the process ends.
        self._executor.shutdown(wait=True)


def run_app(services: Services) -> None:
    OverloadApp(services).run()
