#!/usr/bin/env node
// The `solar` command: the bundled trainer CLI (built by `npm run build`, which `npm ci` runs via prepare).
require('../dist/trainer.js').run();
