// HTTP routes: The plan, network meetings and individual conversations.
import type { AppDeps, TypedApp } from '../../platform/http.ts';

export function planRoutes(app: TypedApp, deps: AppDeps): void {
  void app;
  void deps;
}
