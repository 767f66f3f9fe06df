import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering the full pages takes seconds on a loaded 2-core CI machine:
// wait for what appears, and let a test run, longer than the defaults.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);
