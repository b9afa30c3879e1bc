import { Hono } from "hono";
import { type AdsExportService, adsExportRequestSchema } from "../../services/ads-export.js";
import { validationErrorFrom } from "../errors.js";
import { exportsPage, OWNER_PAGE_HEADERS } from "../owner-pages.js";

/** Options of {@link createOwnerExportRoutes}. */
export interface OwnerExportRoutesOptions {
  exports: AdsExportService;
  /** `SHOP_TIME_ZONE`: what the page says the times are in. */
  timeZone: string;
  /** Today in the shop's time zone (YYYY-MM-DD), for the form's default month. */
  today(): string;
  /** Where "Back" goes (the outbox or the console). */
  back: string;
}

/**
 * The owner's Google Ads downloads, mounted at /owner/exports behind the owner gate:
 * `GET /` (the form) and `GET /download?kind=clicks|enhanced&since=YYYY-MM-DD` (the CSV, as an
 * attachment). Reading changes nothing, so plain GETs (no CSRF token) are right here.
 */
export function createOwnerExportRoutes(options: OwnerExportRoutesOptions): Hono {
  const app = new Hono();
  app.get("/", (c) =>
    c.html(exportsPage({ today: options.today(), timeZone: options.timeZone, back: options.back }), 200, {
      ...OWNER_PAGE_HEADERS,
      "cache-control": "no-store",
    }),
  );
  app.get("/download", async (c) => {
    const parsed = adsExportRequestSchema.safeParse({
      kind: c.req.query("kind"),
      since: c.req.query("since"),
    });
    if (!parsed.success) throw validationErrorFrom(parsed.error);
    const file = await options.exports.exportCsv(parsed.data);
    return c.body(file.csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
  });
  return app;
}
