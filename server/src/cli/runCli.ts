import { ConfigError } from '../config';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * An error the user can act on (a missing folder, a wrong project, a refused bucket) as one
 * `error:` line and exit code 1; anything else is rethrown, to be printed whole.
 */
export function userErrorCode(err: unknown, userErrors: readonly ErrorClass[]): number {
  if (!userErrors.some((kind) => err instanceof kind)) throw err;
  console.error(`error: ${(err as Error).message}`);
  return 1;
}

/** Runs a CLI's main and exits with its code; an unusable environment is one line, exit 1. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? `error: ${err.message}` : err);
      process.exit(1);
    },
  );
}
