/* test-stats-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statistics page on a seeded store in a real window: the table shows the figures,
 * switching the range updates it (an empty range shows the status page), the CSV and PDF
 * exports (pdftotext finds the centre and the totals), and screenshots in light and dark
 * (run with --language=lv for the Latvian ones).
 */
#define G_LOG_DOMAIN "test-stats-window"

#include "config.h"

#include "kac-desk-resources.h"
#include "kac-stats-page.h"
#include "kac-store-private.h"
#include "kac-test-util.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

static const char *language = "en";
static char *screenshot_dir;

/* As in test-stats.c: 2 and 3 March 2026 (Monday, Tuesday), with one withdrawn record. */
static const char seed_records[] =
  "INSERT INTO records (uuid, kind, service_code, institution_code, channel, satisfaction,"
  "  created_at, updated_at, state) VALUES"
  " ('r1',  'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-02 07:00:00') * 1000000, 0, 'accepted'),"
  " ('r2',  'application', 'VSAA-01', 'VSAA', 'electronic', 4, unixepoch ('2026-03-02 08:00:00') * 1000000, 0, 'accepted'),"
  " ('r3',  'application', 'VID-01', 'VID', 'phone', 0, unixepoch ('2026-03-02 09:00:00') * 1000000, 0, 'queued'),"
  " ('r4',  'complaint', 'VID-01', 'VID', 'post', 1, unixepoch ('2026-03-02 10:00:00') * 1000000, 0, 'accepted'),"
  " ('r5',  'information', NULL, NULL, 'phone', 3, unixepoch ('2026-03-02 11:00:00') * 1000000, 0, 'rejected'),"
  " ('r6',  'application', 'VSAA-01', 'VSAA', 'in-person', 5, unixepoch ('2026-03-02 12:00:00') * 1000000, 0, 'withdrawn'),"
  " ('r8',  'consultation-eservices', 'VSAA-01', 'VSAA', 'electronic', 5, unixepoch ('2026-03-01 22:30:00') * 1000000, 0, 'accepted'),"
  " ('r9',  'application', 'VID-01', 'VID', 'electronic', 2, unixepoch ('2026-03-03 07:00:00') * 1000000, 0, 'accepted'),"
  " ('r10', 'question', 'VSAA-01', 'VSAA', 'in-person', 0, unixepoch ('2026-03-03 08:00:00') * 1000000, 0, 'accepted'),"
  " ('r11', 'application', 'VSAA-01', 'VSAA', 'in-person', 0, unixepoch ('2026-03-03 09:00:00') * 1000000, 0, 'accepted'),"
  " ('r13', 'suggestion', 'VID-01', 'VID', 'post', 3, unixepoch ('2026-03-03 10:00:00') * 1000000, 0, 'sending'),"
  " ('r14', 'consultation-eaddress', NULL, NULL, 'electronic', 0, unixepoch ('2026-03-03 21:59:59') * 1000000, 0, 'accepted');"
  "INSERT INTO application_status (uuid, central_number, status, changed_at, due_date) VALUES"
  " ('r1',  'C-1', 'completed', unixepoch ('2026-03-09 22:30:00') * 1000000, '2026-03-09'),"
  " ('r2',  'C-2', 'forwarded', unixepoch ('2026-03-02 09:00:00') * 1000000, '2026-03-03');";

static void
run_for (guint msec)
{
  gint64 end = g_get_monotonic_time () + msec * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  int width, height;

  run_for (600);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file_name = g_strdup_printf ("%s-%s.png", name, language);
  path = g_build_filename (screenshot_dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gint64
row_int (GListModel *model,
         guint       position,
         const char *property)
{
  g_autoptr(GObject) row = g_list_model_get_item (model, position);
  gint64 value = 0;

  g_object_get (row, property, &value, NULL);
  return value;
}

static void
test_stats_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = kac_test_make_tmp_dir ("test-stats-window-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "registrations.db", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "figures.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "figures.pdf", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf_path);
  g_autoptr(KacStore) store = kac_store_open (path, &error);
  g_autoptr(KacCatalog) catalog = kac_catalog_new_sample ();
  g_autofree char *csv = NULL;
  g_autofree char *pdf_text = NULL;
  g_autofree char *argv_text = NULL;
  KacStatsPage *page;
  GtkWindow *window;
  GListModel *table;
  GtkWidget *stack;
  GDate today;
  int wait_status;

  g_assert_no_error (error);
  kac_test_exec_sql (_kac_store_get_db (store), seed_records);

  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (window, 1000, 860);
  page = g_object_new (KAC_TYPE_STATS_PAGE, NULL);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 5, G_DATE_MARCH, 2026);
  kac_stats_page_set_today (page, &today);
  kac_stats_page_set_catalog (page, catalog);
  kac_stats_page_set_centre (page, "centre-1", "Ādažu novada VPVKAC");
  kac_stats_page_set_store (page, store);
  gtk_window_present (window);

  /* Today (5 March): nothing registered, the status page says so. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_TODAY);
  stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), KAC_TYPE_STATS_PAGE, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  table = kac_stats_page_get_table_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 0);
  save_screenshot (GTK_WIDGET (window), "stats-empty");

  /* This week (Monday 2 – Thursday 5 March): 11 cases in three groups. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_THIS_WEEK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "figures");
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 11);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.delayed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 3);
  {
    gint64 sum = 0;

    for (guint i = 0; i < 3; i++)
      sum += row_int (table, i, "cases");
    g_assert_cmpint (sum, ==, 11);
  }

  /* Yesterday (4 March): empty again; a custom range of 3 March: 5 cases. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_YESTERDAY);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  {
    GDate day;

    g_date_clear (&day, 1);
    g_date_set_dmy (&day, 3, G_DATE_MARCH, 2026);
    kac_stats_page_set_custom_range (page, &day, &day);
  }
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 5);

  /* The month, for the pictures and the exports. */
  kac_stats_page_set_range (page, KAC_STATS_RANGE_THIS_MONTH);
  g_assert_cmpint (kac_stats_page_get_stats (page)->totals.cases, ==, 11);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 3);
  save_screenshot (GTK_WIDGET (window), "stats-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (GTK_WIDGET (window), "stats-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* CSV: the header and the totals. */
  g_assert_true (kac_stats_page_export_csv (page, csv_file, ';', &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (csv, "Ādažu novada VPVKAC;11;"));

  /* PDF: its text has the centre and the total. */
  g_assert_true (kac_stats_page_export_pdf (page, pdf_file, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf_path, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &pdf_text, NULL, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }
  g_test_message ("PDF text: %s", pdf_text);
  g_assert_nonnull (strstr (pdf_text, "Ādažu novada VPVKAC"));
  g_assert_nonnull (strstr (pdf_text, "2026-03-01"));
  g_assert_nonnull (strstr (pdf_text, "11"));

  gtk_window_destroy (window);
  run_for (100);
  g_clear_object (&store);
  kac_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--language="))
      language = argv[i] + strlen ("--language=");
  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  setlocale (LC_ALL, "");
  localedir = g_getenv ("KAC_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  /* The resources are registered by a constructor in their object file: referencing them
   * keeps the linker from dropping it from the static library. */
  (void) kac_desk_get_resource ();

  screenshot_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                     "screenshots", NULL);
  if (g_getenv ("KAC_SCREENSHOT_DIR") != NULL && *g_getenv ("KAC_SCREENSHOT_DIR") != '\0')
    {
      g_free (screenshot_dir);
      screenshot_dir = g_strdup (g_getenv ("KAC_SCREENSHOT_DIR"));
    }
  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);

  g_test_add_func ("/stats-window/page", test_stats_page);

  return g_test_run ();
}
