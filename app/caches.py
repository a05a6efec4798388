"""Per-process caches kept on ``app.extensions``, safe under threads (gthread workers).

A cache holds what a process may reuse: a page of the job list, the ranking index, a user's
menu, the arrangement's organisations. Each is a bounded LRU behind one lock, so a lookup that
moves its key to the end never races another thread's insert or eviction (an ``OrderedDict``
read and reordered without a lock can raise or drop the wrong key). Entries are whole values,
never changed after they are put: a reader gets a value no other thread writes to.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import current_app

_CREATE_LOCK = threading.Lock()


class LockedLRU:
    """A bounded mapping, least recently used out first; every operation under one lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            try:
                value = self._data[key]
            except KeyError:
                return default
            self._data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def app_cache(name: str, size: int) -> LockedLRU:
    """The current app's cache ``name`` in this process (made once, however many threads ask).

    Removing it from ``app.extensions`` (tests) empties it: the next call makes a new one.
    """
    extensions = current_app.extensions
    cache = extensions.get(name)
    if cache is None:
        with _CREATE_LOCK:
            cache = extensions.get(name)
            if cache is None:
                cache = extensions[name] = LockedLRU(size)
    return cache
