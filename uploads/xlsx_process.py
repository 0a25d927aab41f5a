"""An xlsx sheet read in a process of its own, its rows sent back in batches (UPL-2, issue 13).

xlsx_stream's reader is pure Python: about 1.5 s a 100,000-row roster, on the same core and under
the same lock (the GIL) as the cleaning of the rows, while the machine's second core waits. Here
the sheet is read by a child made with os.fork(), which sends the rows over a pipe, pickled a few
hundred at a time; the upload's process only unpickles them. The child reads the shared-strings
table and the styles as well, so the upload's process never holds the table.

os.fork() and os.pipe() directly: uploads run in Celery's prefork pool children, daemonic
processes that multiprocessing refuses to give children. The child touches nothing but the
archive (already in memory, forked with the process): no database connection, no logging, no
import; it ends with os._exit, whatever happens, so no handler, atexit function or buffer of the
parent runs twice.

What the in-process reader guarantees holds here: the same rows and values, in order; the same
exceptions (LimitExceeded with its fields, ValueError for damaged parts …), raised after the rows
read before them; the limits of issue 6 (the child does the same bounded work, and the pipe holds
at most _PIPE_BYTES ahead of the reader). The child is killed and reaped as soon as its rows are
no longer wanted: read to the end, an exception, the rows' generator closed or dropped.
"""
from __future__ import annotations

import os
import pickle
import signal
import zipfile
from typing import Iterator

from . import xlsx_stream

# Rows a message holds: a few tens of KB pickled, so the pipe keeps the reader a few batches ahead.
BATCH_ROWS = 500
_PIPE_BYTES = 1 << 20
_READY, _ROWS, _ERROR, _END = range(4)
# Exceptions sent back as they are; any other is sent as the first of these it derives from.
_PLAIN_ERRORS = (UnicodeDecodeError, KeyError, IndexError, EOFError, ValueError, MemoryError, OSError)


def available() -> bool:
    return hasattr(os, "fork") and hasattr(os, "waitpid")


class ReaderDied(RuntimeError):
    """The reading process ended without a word (killed from outside): not the file's fault."""


class SheetReader:
    """One sheet of an archive, read by a forked child: ``ready()`` waits until the child has read
    the shared strings and styles (raising what that raised), ``rows()`` yields the sheet's rows.
    Dropped or closed, the child is killed and reaped."""

    def __init__(self, archive: zipfile.ZipFile, path: str, *, max_columns: int, max_cell: int, max_row: int,
                 max_strings: int):
        self.pid = 0
        self._stream = None
        self._owner = os.getpid()  # a child that inherits this object must not kill its sibling
        read_end, write_end = os.pipe()
        try:
            import fcntl

            fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
        except (ImportError, OSError):
            pass  # the default pipe (64 KiB) only keeps the child fewer rows ahead
        try:
            pid = os.fork()
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read_end)
                _child(write_end, archive, path, max_columns=max_columns, max_cell=max_cell, max_row=max_row,
                       max_strings=max_strings)
                status = 0
            finally:
                os._exit(status)
        self.pid = pid
        os.close(write_end)
        self._stream = open(read_end, "rb", buffering=1 << 16)
        self._ready = False

    def _receive(self):
        try:
            return pickle.load(self._stream)
        except (EOFError, pickle.UnpicklingError):
            status = self._reap()
            raise ReaderDied(f"the xlsx reading process ended early (wait status {status})") from None

    def ready(self) -> None:
        if self._ready:
            return
        kind, payload = self._receive()
        if kind == _ERROR:
            self.close()
            raise payload
        assert kind == _READY, kind
        self._ready = True

    def rows(self) -> Iterator[tuple[int, list]]:
        try:
            self.ready()
            receive = self._receive
            while True:
                kind, payload = receive()
                if kind == _ROWS:
                    yield from payload
                elif kind == _END:
                    return
                else:
                    raise payload
        finally:
            self.close()

    def _reap(self):
        pid, self.pid = self.pid, 0
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        if not pid or os.getpid() != self._owner:
            return None
        try:
            os.kill(pid, signal.SIGKILL)  # an exited child (a zombie until reaped) ignores it
        except ProcessLookupError:
            pass
        while True:
            try:
                return os.waitpid(pid, 0)[1]
            except InterruptedError:
                continue
            except ChildProcessError:  # reaped by someone else (a SIGCHLD handler)
                return None

    def close(self) -> None:
        self._reap()

    def __del__(self):
        self._reap()


def _child(fd: int, archive: zipfile.ZipFile, path: str, *, max_columns: int, max_cell: int, max_row: int,
           max_strings: int) -> None:
    # The parent's handlers (Celery's) are not this process's: a signal ends it.
    for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM"):
        try:
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        except (AttributeError, ValueError, OSError):
            pass
    # The parent's other descriptors (its database and broker connections) are not held open
    # here: a parent that dies is seen gone by their peers at once.
    os.closerange(3, fd)
    try:
        os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
    except (ValueError, OSError):
        pass
    out = open(fd, "wb", buffering=1 << 16)
    dumps, write, flush = pickle.dumps, out.write, out.flush

    def send(message) -> None:
        write(dumps(message, pickle.HIGHEST_PROTOCOL))
        flush()

    batch: list = []
    try:
        try:
            strings, dates = xlsx_stream.workbook_texts(archive, max_cell=max_cell, max_row=max_row,
                                                        max_strings=max_strings)
            send((_READY, None))
            append = batch.append
            for item in xlsx_stream.iter_sheet(archive, path, strings, dates, max_columns=max_columns,
                                               max_cell=max_cell, max_row=max_row):
                append(item)
                if len(batch) >= BATCH_ROWS:
                    send((_ROWS, batch))
                    batch = []
                    append = batch.append
        except BrokenPipeError:
            raise
        except BaseException as error:  # sent after the rows read before it
            if batch:
                send((_ROWS, batch))
            send((_ERROR, _sendable(error)))
            return
        if batch:
            send((_ROWS, batch))
        send((_END, None))
    except BrokenPipeError:
        pass  # the parent stopped reading: nothing more to do
    finally:
        try:
            out.close()
        except OSError:
            pass


def _sendable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL))
        return error
    except Exception:
        for base in _PLAIN_ERRORS:
            if isinstance(error, base):
                try:
                    return base(str(error))
                except TypeError:
                    continue
        return RuntimeError(f"{type(error).__name__}: {error}")
