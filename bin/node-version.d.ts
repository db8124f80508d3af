export declare const MIN_NODE: string;
export declare function nodeTooOld(version: string): string | undefined;
