#!/usr/bin/env node
// Entry point for `npx lead-scorer …`, `npm start` and `npm run demo`: runs the TypeScript sources through tsx,
// so `npm ci` is the whole set-up (no build step).
require('tsx/cjs');
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
