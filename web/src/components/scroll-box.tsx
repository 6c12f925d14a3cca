import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import './components.css';

export interface ScrollBoxProps {
  /** The box's own class (its overflow and look come from it). */
  readonly class: string;
  /** What the box holds, announced when it takes the focus ("Patients table"). */
  readonly label: string;
  readonly children: ComponentChildren;
}

/**
 * A box that scrolls its content in a narrow window. While its content overflows, it is a named,
 * focusable region, so the keyboard can scroll it in every browser (WCAG 2.1.1; Chromium alone makes
 * scrollers focusable, and then with no name). When everything fits it adds no Tab stop.
 */
export function ScrollBox({ class: className, label, children }: ScrollBoxProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  const measure = () => {
    const box = ref.current;
    if (box) setOverflows(box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1);
  };
  // After every render (new rows, a loaded scenario) and whenever the box or its content resizes.
  useLayoutEffect(measure);
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    const observer = new ResizeObserver(() => {
      measure();
      for (const child of Array.from(box.children)) observer.observe(child);
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      class={`scroll-box ${className}`}
      {...(overflows ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}
    >
      {children}
    </div>
  );
}
