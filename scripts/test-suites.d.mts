export declare const BINARY_BACKED: ReadonlyArray<[RegExp, string]>;
export declare function binaryBackedTests(root: string): Array<{ file: string; why: string }>;
