import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, expect } from 'vitest';
import { takeUnansweredRequests } from './support/fake-api';

afterEach(() => {
  cleanup();
  // A request no fake answered means the test does not know what the page did.
  expect(takeUnansweredRequests()).toEqual([]);
});
