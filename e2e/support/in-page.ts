import type { Locator, Page } from 'playwright-core';

// Questions answered inside the page. The functions below are serialised and run in the browser;
// the few browser names they use are declared here, for this file only, so that they type-check
// whether or not the tests' tsconfig includes the DOM library.
interface PageElement {
  getBoundingClientRect(): { top: number; width: number };
  querySelectorAll(selector: string): Iterable<PageElement>;
  getAttribute(name: string): string | null;
}
declare const document: { documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare const localStorage: { length: number };
declare const sessionStorage: { length: number };
declare function getComputedStyle(element: PageElement): { backgroundColor: string; color: string };

/** How many pixels the page is wider than the window (more than 0 means a sideways scroll bar). */
export function horizontalOverflowPx(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** How many entries local and session storage hold together. */
export function storedEntries(page: Page): Promise<number> {
  return page.evaluate(() => localStorage.length + sessionStorage.length);
}

/** The colours and position an element is drawn with. */
export function lookOf(locator: Locator) {
  return locator.evaluate((node) => {
    const element = node as unknown as PageElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return { background: style.backgroundColor, color: style.color, top: box.top, width: box.width };
  });
}

/** The aria-hidden attribute of every SVG icon inside. */
export function iconsAriaHidden(locator: Locator): Promise<(string | null)[]> {
  return locator.evaluate((node) =>
    [...(node as unknown as PageElement).querySelectorAll('svg')].map((icon) => icon.getAttribute('aria-hidden')),
  );
}
