// HTTP routes: The staff calendar, its iCalendar feed and Min dag.
import type { AppDeps, TypedApp } from '../../platform/http.ts';

export function calendarRoutes(app: TypedApp, deps: AppDeps): void {
  void app;
  void deps;
}
