// HTTP routes: Group courses, their sessions and attendance.
import type { AppDeps, TypedApp } from '../../platform/http.ts';

export function courseRoutes(app: TypedApp, deps: AppDeps): void {
  void app;
  void deps;
}
