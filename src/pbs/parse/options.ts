/** Options every model parser takes. */
export interface ParseOptions {
  /** IANA zone PBS local-time text is read in; null/undefined = the machine's zone */
  timezone?: string | null;
  /** the command that printed the output, for error messages (e.g. 'qstat -f -F json') */
  command?: string;
}
