#!/usr/bin/env node
// The executable: runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import { main } from '../dist/main.js';

process.exitCode = await main();
