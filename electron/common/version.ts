// SigScope's version, as package.json has it (test/version.test.ts keeps the two equal).
export const VERSION = '0.1.0';
