// Process entry for dist/main/cli.cjs.
import { describeFailure } from './command';
import { main } from './index';

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    // main() reports its own failures; this is only for one it could not catch.
    process.stderr.write(`${describeFailure(err)}\n`);
    if (process.argv.includes('--debug') && err instanceof Error) {
      process.stderr.write(`${err.stack ?? ''}\n`);
    }
    process.exitCode = 1;
  },
);
