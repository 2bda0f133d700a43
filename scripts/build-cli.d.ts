/** Where the built CLI goes. */
export declare const DIST: string;
/** Bundles the CLI into `dist/`; returns the paths written. */
export declare function buildCli(): Promise<string[]>;
