import type { ESLint } from 'eslint';

export declare const REPO_ROOT: string;
export declare const LAYERS: Record<string, string[]>;
export declare const TYPE_ONLY: Record<string, Record<string, string[]>>;
declare const plugin: ESLint.Plugin;
export default plugin;
