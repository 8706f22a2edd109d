// Organizer area entry (/org and /org/*): dispatches the rest of the path to the
// organizer pages. Owned by the organizer pages; main.ts only mounts this module.
// For now it shows the staff landing (forum list with links), until the organizer
// pages replace it.
import type { PageContext } from '../router';
import { org } from '../pages/staff';

export default function orgRouter(ctx: PageContext) {
  return org(ctx);
}
