/** The one place unexpected errors are logged; callers show the user a masked message. */
export function reportError(error: unknown, where: string): void {
  console.error(`[laurel] unexpected error in ${where}:`, error instanceof Error ? (error.stack ?? error.message) : error);
}
