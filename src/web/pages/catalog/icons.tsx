/** Small inline icons for the catalog (the app draws its own; no icon package is a dependency). */
const svg = (d: string, size = 16) =>
  function Icon() {
    return (
      <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path fill="currentColor" d={d} />
      </svg>
    );
  };

export const ArrowUpIcon = svg('M8 2.5a.5.5 0 0 1 .35.15l4.5 4.5a.5.5 0 0 1-.7.7L8.5 4.21V13a.5.5 0 0 1-1 0V4.2L3.85 7.86a.5.5 0 1 1-.7-.7l4.5-4.5A.5.5 0 0 1 8 2.5Z');
export const ArrowDownIcon = svg('M8 13.5a.5.5 0 0 1-.35-.15l-4.5-4.5a.5.5 0 1 1 .7-.7L7.5 11.8V3a.5.5 0 0 1 1 0v8.8l3.65-3.65a.5.5 0 0 1 .7.7l-4.5 4.5A.5.5 0 0 1 8 13.5Z');
export const DismissIcon = svg('M3.65 3.65a.5.5 0 0 1 .7 0L8 7.29l3.65-3.64a.5.5 0 0 1 .7.7L8.71 8l3.64 3.65a.5.5 0 0 1-.7.7L8 8.71l-3.65 3.64a.5.5 0 0 1-.7-.7L7.29 8 3.65 4.35a.5.5 0 0 1 0-.7Z');
export const GripIcon = svg('M6 3a1 1 0 1 1-2 0 1 1 0 0 1 2 0Zm0 5a1 1 0 1 1-2 0 1 1 0 0 1 2 0Zm-1 6a1 1 0 1 0 0-2 1 1 0 0 0 0 2Zm7-11a1 1 0 1 1-2 0 1 1 0 0 1 2 0Zm-1 6a1 1 0 1 0 0-2 1 1 0 0 0 0 2Zm1 4a1 1 0 1 1-2 0 1 1 0 0 1 2 0Z');
export const PinIcon = svg('M10.06 1.93a1.5 1.5 0 0 0-2.4.39L6.08 5.48 3.3 6.4a.5.5 0 0 0-.2.83L5.3 9.4l-3.15 3.15-.15.7.7-.15L5.85 10l2.17 2.18a.5.5 0 0 0 .83-.2l.93-2.77 3.16-1.58a1.5 1.5 0 0 0 .39-2.4l-3.27-3.3Zm-1.5.83a.5.5 0 0 1 .8-.13l3.28 3.28a.5.5 0 0 1-.13.8L9.15 8.4a.5.5 0 0 0-.25.29l-.72 2.15-4.02-4.02 2.15-.72a.5.5 0 0 0 .29-.25l1.96-3.07Z');
