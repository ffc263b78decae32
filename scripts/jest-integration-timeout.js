/* global jest */
// Integration hooks start real servers, databases and processes; on a loaded machine that takes
// longer than jest's 5 s default (testTimeout is a global option, so it is set per project here).
// A hang still fails, just later. Files that call jest.setTimeout themselves keep their value.
jest.setTimeout(60_000);
