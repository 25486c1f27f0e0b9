export declare const chromiumPath: string;
export declare function chromiumFlags(): string[];
export declare function assertChromiumInstalled(): void;
