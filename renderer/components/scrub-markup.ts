/**
 * Keeps typed secrets out of the page's markup. antd's inputs are controlled inside (rc-input holds the text in state),
 * and React mirrors a controlled input's value into its `value` attribute and a textarea's into its text content, so a
 * password typed into the form would sit in the DOM's HTML: in a saved page, a DOM snapshot, an extension's view. The
 * value itself (a property) is what the form reads; the markup copy is removed as soon as React writes it, before any
 * other task can see it (MutationObserver callbacks run as microtasks).
 */
import { useCallback, useRef } from 'react';

function scrub(root: HTMLElement): void {
  for (const input of root.querySelectorAll('input[value]')) input.removeAttribute('value');
  // A textarea's text content is only its default value once the operator has typed (the "dirty" flag), so clearing
  // it leaves what was typed in place.
  for (const area of root.querySelectorAll('textarea')) if (area.textContent) area.textContent = '';
}

/** A ref for the element around secret inputs: their values never appear in its markup. */
export function useScrubbedMarkup(): (element: HTMLElement | null) => void {
  const observer = useRef<MutationObserver | null>(null);
  return useCallback((element: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) return;
    scrub(element);
    const o = new MutationObserver(() => scrub(element));
    o.observe(element, { subtree: true, attributes: true, attributeFilter: ['value'], childList: true, characterData: true });
    observer.current = o;
  }, []);
}
