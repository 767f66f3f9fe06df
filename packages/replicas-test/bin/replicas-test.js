#!/usr/bin/env node
/*
 * yarn test:replicas: runs src/main.ts with sucrase (a devDependency of
 * the repository root), as the demo module's bin/modelfleet-sim.js does.
 */
const path = require('node:path');

require('sucrase/register');
require('../src/main.ts').runCli(path.resolve(__dirname, '..', '..', '..'));
