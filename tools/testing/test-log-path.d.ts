export declare const repoRoot: string;
export declare const testLogDir: string;
export declare function testLogPath(testFilePath: string): string;
