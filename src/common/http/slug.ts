/**
 * What a slug is. Kept apart from the pipe that checks path parameters, so code that runs
 * outside Nest (the import parse workers) can use it without loading the framework.
 */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 200;
