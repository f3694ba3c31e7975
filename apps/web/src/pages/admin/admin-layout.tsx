import { NavLink, Outlet } from 'react-router';
import { ADMIN_SECTIONS } from './admin-sections';

/** The frame of every admin page: a heading and the section navigation. */
export function AdminLayout() {
  return (
    <div className="page admin">
      <div className="page__header">
        <p className="eyebrow">Administration</p>
        <h1>Admin</h1>
      </div>
      <div className="admin__body">
        <nav className="admin__nav" aria-label="Admin sections">
          <ul>
            {ADMIN_SECTIONS.map((section) => (
              <li key={section.to}>
                <NavLink to={section.to} end={section.end} className="admin__nav-link">
                  {section.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="admin__content">
          <Outlet />
        </div>
      </div>
    </div>
  );
}
