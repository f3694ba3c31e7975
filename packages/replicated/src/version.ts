/**
 * This package's version, sent in `User-Agent` (the vendor parses it from there). A constant rather
 * than a read of package.json so that it survives bundling; a test keeps the two equal.
 */
export const CLIENT_VERSION = '0.1.0';
