#!/usr/bin/env node
/*
 * The simulated ModelFleet demo fleet as a process of its own: one
 * simulated Kubernetes API server per demo cluster. Runs the TypeScript
 * sources with sucrase (a devDependency of the repository root).
 *
 *   yarn workspace @modelfleet/plugin-modelfleet-backend-module-demo sim --port 7001 --speed 60
 */
require('sucrase/register');
require('../src/sim/main.ts').runCli();
