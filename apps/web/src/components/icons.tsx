// Inline icons, so the UI carries no icon library. Each is decorative: the text beside it says
// the same, so screen readers skip the drawing.

interface IconProps {
  className?: string;
}

export function WarningIcon({ className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 2.5c.7 0 1.3.4 1.7 1l9 15.6c.8 1.3-.2 2.9-1.7 2.9H3c-1.5 0-2.5-1.6-1.7-2.9l9-15.6c.4-.6 1-1 1.7-1Zm0 6a1 1 0 0 0-1 1v5a1 1 0 1 0 2 0v-5a1 1 0 0 0-1-1Zm0 8.2a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6Z"
      />
    </svg>
  );
}

export function CloseIcon({ className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path fill="none" stroke="currentColor" strokeLinecap="round" strokeWidth="2.2" d="M6 6l12 12M18 6 6 18" />
    </svg>
  );
}

export function DownloadIcon({ className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        fill="none"
        stroke="currentColor"
        strokeLinecap="round"
        strokeLinejoin="round"
        strokeWidth="1.8"
        d="M10 3v9m0 0 3.5-3.5M10 12 6.5 8.5M4 14.5V16h12v-1.5"
      />
    </svg>
  );
}

export function LogoMark({ className }: IconProps) {
  return (
    <svg className={className} viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path
        fill="#fff"
        d="M10 9.5a2 2 0 0 1 4 0V15h4V9.5a2 2 0 1 1 4 0v13a2 2 0 1 1-4 0V19h-4v3.5a2 2 0 1 1-4 0v-13Z"
      />
    </svg>
  );
}
