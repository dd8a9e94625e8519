#!/usr/bin/env node
// Launcher: the CLI is written in TypeScript and run through tsx, so `npx dockmaster` works straight
// after `npm ci` with no build step. npx puts node_modules/.bin first on PATH, so this runs on the
// Node version the project pins (the `node` devDependency), not the machine's.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
