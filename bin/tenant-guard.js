#!/usr/bin/env node
// Runs the TypeScript entry point directly: Node >= 22.18 strips types natively.
import "../src/main.ts";
