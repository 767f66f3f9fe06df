#!/usr/bin/env node
/*
 * yarn test:fuzz: runs src/main.ts with sucrase (a devDependency of the
 * repository root), as packages/replicas-test does.
 */
const path = require('node:path');

require('sucrase/register');

let main;
try {
  // Loads the code under test in-process: a source that does not compile
  // fails here, before any input.
  main = require('../src/main.ts');
} catch (e) {
  console.error(`fuzz test could not load the code under test: ${e.stack}`);
  console.log('fuzz: inputs=0 server_errors=0 unnamed_rejections=0');
  process.exit(1);
}
main.runCli(path.resolve(__dirname, '..', '..', '..'));
