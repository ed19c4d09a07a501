/** The output formats of every view. Import-free, so registering commands (`--help`) stays cheap. */
export const FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof FORMATS)[number];
