/** Exit codes of `moat`, one set for every command. */
export const EXIT = { ok: 0, violation: 1, usage: 2, failure: 3 } as const;
