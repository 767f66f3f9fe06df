#!/usr/bin/env node
/*
 * yarn bench:pages: runs src/main.ts with sucrase (a devDependency of the
 * repository root), as packages/replicas-test does.
 */
require('sucrase/register');
require('../src/main.ts').runCli(process.argv.slice(2));
