// HTTP routes: Companies, internships and upskilling.
import type { AppDeps, TypedApp } from '../../platform/http.ts';

export function companyRoutes(app: TypedApp, deps: AppDeps): void {
  void app;
  void deps;
}
