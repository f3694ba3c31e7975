/**
 * The vendor's publishable key of a release build, or null in a source build. This file is
 * overwritten by the image build (`scripts/write-release-key.mjs`, run by the Dockerfile with the
 * key as a build argument) before the TypeScript build; nothing at run time changes it.
 */
export const RELEASE_PUBLISHABLE_KEY: string | null = null;
