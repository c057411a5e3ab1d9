// The answer to one API call as it crosses a shell (IPC or WebSocket): a result or an error.
// The error type is the contract's ApiErrorData; this layer imports nothing, so it is a parameter.

export type CallOutcome<E> = { ok: true; result: unknown } | { ok: false; error: E };
