/* test-disk-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Disk and data faults as the clerk meets them, through the real application and window on a
 * profile in a temporary XDG_DATA_HOME: a full disk while saving through the register form
 * (the store's file limited with the test-only max_page_count hook, which makes SQLite fail
 * with SQLITE_FULL as on a full disk), an unwritable profile and a damaged database at start.
 * Each scenario runs its own KacApplication (non-unique, one after the other in this process)
 * and checks the files' bytes before and after.
 */
#define G_LOG_DOMAIN "test-disk-faults"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "kac-application.h"
#include "kac-register-page.h"
#include "kac-store.h"
#include "kac-store-private.h"
#include "kac-test-gui.h"
#include "kac-window.h"

#define VALID_CODE "161175-19997"

/* What the desk says, as the program has it (through _(), so that the Latvian run checks the
 * same words in Latvian). */
#define DISK_FULL_MESSAGE "The disk is full; the registration was not saved. It is still in the form."
#define UNWRITABLE_ADVICE "Nothing was created or overwritten. Once the folder can be written to, start KAC Desk again."
#define DAMAGED_ADVICE    "The file was left as it is, so that nothing in it is lost. To keep working, keep it aside with the button below: it gets a new name in the same folder and KAC Desk starts with an empty file. Registrations in the damaged file that were not sent yet are not in the new one: give the kept file to your administrator."

typedef void (*Scenario) (void);

static char *tmp_dir;
static char *profile_dir;
static char *store_path;
static KacApplication *app;
static KacWindow *window;
static GSettings *settings;

/* Helpers */

static gpointer
page_child (const char *name)
{
  KacRegisterPage *page = kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page");

  return kac_test_gui_child (page, KAC_TYPE_REGISTER_PAGE, name);
}

static char *
get_notes (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (page_child ("notes_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
fill_form (const char *notes)
{
  GtkSearchEntry *entry = page_child ("service_entry");

  adw_combo_row_set_selected (page_child ("kind_row"), KAC_RECORD_KIND_APPLICATION);
  gtk_editable_set_text (GTK_EDITABLE (entry), "berna kopsanas");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_label_get_label (page_child ("picked_title")), !=, "");
  gtk_editable_set_text (page_child ("client_name_row"), "Anna Bērziņa");
  gtk_editable_set_text (page_child ("client_code_row"), VALID_CODE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (page_child ("notes_view")), notes, -1);
}

static void
save_form (void)
{
  gtk_widget_activate_action (GTK_WIDGET (kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page")),
                              "register.save", NULL);
  kac_test_run_for (50);
}

static void
remove_profile (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (profile_dir, G_FILE_TEST_IS_REGULAR))
    {
      g_assert_cmpint (g_unlink (profile_dir), ==, 0);
      return;
    }
  if (!g_file_test (profile_dir, G_FILE_TEST_IS_DIR))
    return;
  g_chmod (profile_dir, 0700);
  dir = g_dir_open (profile_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (profile_dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (profile_dir), ==, 0);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_file_is (const char *path,
                GBytes     *expected)
{
  g_autoptr(GBytes) now = read_file (path);

  g_assert_true (g_bytes_equal (now, expected));
}

static void
scenario_activate_cb (GApplication *application,
                      Scenario      scenario)
{
  /* Once: keeping a damaged store aside activates the application again. */
  g_signal_handlers_disconnect_by_func (application, scenario_activate_cb, scenario);
  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  g_assert_nonnull (window);
  kac_test_run_for (200);

  scenario ();

  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  kac_test_gui_destroy_and_finalize (GTK_WINDOW (window));
  window = NULL;
}

/* The application logs why it could not open the store (once per start). */
static void
expect_refusal (void)
{
  g_test_expect_message ("kac-application", G_LOG_LEVEL_WARNING, "Cannot open the store: *");
}

/* Starts a desk on the profile as it is, runs @scenario in its first window, and ends it. */
static void
run_desk (Scenario scenario)
{
  app = kac_application_new ();
  /* Each scenario is a desk of its own; none waits for a name on the session bus. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (scenario_activate_cb), scenario);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_assert_finalize_object (app);
  app = NULL;
}

static void
assert_store_error_page (gboolean    set_aside_offered,
                         const char *expected_text)
{
  AdwStatusPage *status = kac_test_gui_child (window, KAC_TYPE_WINDOW, "store_error_page");
  const GError *error = kac_application_get_store_error (app);

  g_assert_null (kac_application_get_store (app));
  g_assert_nonnull (error);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (kac_test_gui_child (window, KAC_TYPE_WINDOW, "main_stack")),
                   ==, "store-error");
  g_assert_nonnull (strstr (adw_status_page_get_description (status), error->message));
  g_assert_nonnull (strstr (adw_status_page_get_description (status), _(expected_text)));
  g_assert_false (gtk_widget_get_mapped (kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page")));
  g_assert_cmpint (gtk_widget_get_visible (kac_test_gui_child (window, KAC_TYPE_WINDOW, "set_aside_button")),
                   ==, set_aside_offered);
  g_test_message ("%s", adw_status_page_get_description (status));
}

/* Full disk */

static char *full_notes;

static void
full_disk_scenario (void)
{
  KacStore *store = kac_application_get_store (app);
  GListModel *records;
  g_autoptr(KacRecord) saved = NULL;
  g_autofree char *notes = NULL;
  guint64 limit;

  g_assert_nonnull (store);
  records = kac_store_get_records (store);
  g_assert_cmpuint (g_list_model_get_n_items (records), ==, 0);

  /* 8,000 bytes of notes need new pages, and the file may not grow: a full disk for SQLite. */
  limit = _kac_store_set_max_page_count (store, 1);
  g_assert_cmpuint (limit, >, 1);
  fill_form (full_notes);
  save_form ();

  g_assert_true (gtk_revealer_get_reveal_child (page_child ("store_error_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_label (page_child ("store_error_label")), _(DISK_FULL_MESSAGE)));
  g_test_message ("%s: %s", gtk_label_get_label (page_child ("store_error_title")),
                  gtk_label_get_label (page_child ("store_error_label")));
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "disk-full");

  /* Everything typed is still there, and nothing was saved. */
  g_assert_cmpuint (adw_combo_row_get_selected (page_child ("kind_row")), ==, KAC_RECORD_KIND_APPLICATION);
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_name_row")), ==, "Anna Bērziņa");
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_code_row")), ==, VALID_CODE);
  notes = get_notes ();
  g_assert_cmpstr (notes, ==, full_notes);
  g_assert_cmpuint (g_list_model_get_n_items (records), ==, 0);
  g_assert_cmpuint (kac_store_get_n_queued (store), ==, 0);

  /* Space again: the same form saves as it is. */
  g_assert_cmpuint (_kac_store_set_max_page_count (store, 1073741823), ==, 1073741823);
  save_form ();
  g_assert_false (gtk_revealer_get_reveal_child (page_child ("store_error_revealer")));
  g_assert_cmpuint (g_list_model_get_n_items (records), ==, 1);
  saved = g_list_model_get_item (records, 0);
  g_assert_cmpstr (kac_record_get_client_name (saved), ==, "Anna Bērziņa");
  g_assert_cmpstr (kac_record_get_client_code (saved), ==, VALID_CODE);
  g_assert_cmpstr (kac_record_get_notes (saved), ==, full_notes);
  /* The form is empty for the next client. */
  g_assert_cmpstr (gtk_editable_get_text (page_child ("client_name_row")), ==, "");
}

static void
test_full_disk (void)
{
  remove_profile ();
  full_notes = kac_test_repeat_utf8 ("ā", KAC_RECORD_NOTES_MAX_CHARS);
  run_desk (full_disk_scenario);
  g_clear_pointer (&full_notes, g_free);
  /* What the desk said was saved is in the file once the desk is closed. */
  g_assert_cmpint (kac_test_query_int (store_path, "SELECT count(*) FROM records"), ==, 1);
}

/* Unwritable profile */

static GBytes *blocker_bytes;

static void
unwritable_scenario (void)
{
  assert_store_error_page (FALSE, UNWRITABLE_ADVICE);
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "profile-unwritable");
}

static void
test_unwritable_profile (void)
{
  remove_profile ();

  /* A file where the profile folder should be: refused for root too, which ignores modes. */
  g_assert_true (g_file_set_contents (profile_dir, "not a folder", -1, NULL));
  blocker_bytes = read_file (profile_dir);
  expect_refusal ();
  run_desk (unwritable_scenario);
  g_test_assert_expected_messages ();
  assert_file_is (profile_dir, blocker_bytes);
  g_clear_pointer (&blocker_bytes, g_bytes_unref);
  g_assert_cmpint (g_unlink (profile_dir), ==, 0);

  /* A profile folder without write permission, holding nothing yet. */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_mkdir_with_parents (profile_dir, 0500), ==, 0);
      g_assert_cmpint (g_chmod (profile_dir, 0500), ==, 0);
      expect_refusal ();
      run_desk (unwritable_scenario);
      g_test_assert_expected_messages ();
      g_assert_false (g_file_test (store_path, G_FILE_TEST_EXISTS));
      g_assert_cmpint (g_chmod (profile_dir, 0700), ==, 0);
    }
  else
    g_test_message ("Running as root: the read-only folder case is not tested.");
}

/* Damaged database */

static GBytes *damaged_bytes;
static char *taken_names[2];
static char *kept_path;

static void
damaged_scenario (void)
{
  KacStore *store;
  GtkRevealer *notice;
  g_autoptr(KacRecord) saved = NULL;

  assert_store_error_page (TRUE, DAMAGED_ADVICE);
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "store-damaged");
  /* Shown, and nothing written to the file yet. */
  assert_file_is (store_path, damaged_bytes);

  /* The clerk keeps it aside and goes on working. */
  g_signal_emit_by_name (kac_test_gui_child (window, KAC_TYPE_WINDOW, "set_aside_button"), "clicked");
  kac_test_run_for (200);

  store = kac_application_get_store (app);
  g_assert_nonnull (store);
  g_assert_null (kac_application_get_store_error (app));
  kept_path = g_strdup (kac_application_get_damaged_store_path (app));
  g_assert_nonnull (kept_path);
  g_test_message ("kept aside as %s", kept_path);

  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (kac_test_gui_child (window, KAC_TYPE_WINDOW, "main_stack")),
                   !=, "store-error");
  notice = kac_test_gui_child (window, KAC_TYPE_WINDOW, "damaged_revealer");
  g_assert_true (gtk_revealer_get_reveal_child (notice));
  g_assert_nonnull (strstr (gtk_label_get_label (kac_test_gui_child (window, KAC_TYPE_WINDOW, "damaged_label")),
                            kept_path));
  if (g_str_equal (kac_test_gui_get_language (), "en"))
    g_assert_nonnull (strstr (gtk_label_get_label (kac_test_gui_child (window, KAC_TYPE_WINDOW, "damaged_label")),
                              "give that file to your administrator"));
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "store-damaged-kept-aside");

  /* The kept file holds the damaged bytes, in the same folder; a new file works. */
  g_assert_true (g_str_has_prefix (kept_path, store_path));
  g_assert_true (g_str_has_prefix (kept_path + strlen (store_path), ".damaged-"));
  assert_file_is (kept_path, damaged_bytes);
  for (guint i = 0; i < G_N_ELEMENTS (taken_names); i++)
    g_assert_cmpstr (kept_path, !=, taken_names[i]);

  fill_form ("Pirmais iesniegums pēc bojātā faila.");
  save_form ();
  g_assert_false (gtk_revealer_get_reveal_child (page_child ("store_error_revealer")));
  g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (store)), ==, 1);
  saved = g_list_model_get_item (kac_store_get_records (store), 0);
  g_assert_cmpstr (kac_record_get_client_code (saved), ==, VALID_CODE);
}

static void
damaged_again_scenario (void)
{
  /* The next start opens the new file, without the notice: it was said in the last run. */
  g_assert_nonnull (kac_application_get_store (app));
  g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (kac_application_get_store (app))), ==, 1);
  g_assert_false (gtk_revealer_get_reveal_child (kac_test_gui_child (window, KAC_TYPE_WINDOW, "damaged_revealer")));
}

static void
test_damaged (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *kept_wal = NULL;
  guint8 garbage[8192];

  remove_profile ();
  g_assert_cmpint (g_mkdir_with_parents (profile_dir, 0700), ==, 0);

  /* A SQLite header, then damage. */
  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_rand_int_range (rand, 0, 256);
  memcpy (garbage, "SQLite format 3", 16);
  g_assert_true (g_file_set_contents (store_path, (char *) garbage, sizeof garbage, NULL));
  damaged_bytes = read_file (store_path);

  /* Names the desk could pick in the next seconds are taken: it must not write over them. */
  now = g_date_time_new_now_local ();
  for (guint i = 0; i < G_N_ELEMENTS (taken_names); i++)
    {
      g_autoptr(GDateTime) then = g_date_time_add_seconds (now, i);
      g_autofree char *stamp = g_date_time_format (then, "%Y%m%d-%H%M%S");

      taken_names[i] = g_strdup_printf ("%s.damaged-%s", store_path, stamp);
      g_assert_true (g_file_set_contents (taken_names[i], "an older copy", -1, NULL));
    }

  expect_refusal ();
  run_desk (damaged_scenario);
  g_test_assert_expected_messages ();

  for (guint i = 0; i < G_N_ELEMENTS (taken_names); i++)
    {
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (taken_names[i], &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "an older copy");
      g_clear_pointer (&taken_names[i], g_free);
    }
  assert_file_is (kept_path, damaged_bytes);
  kept_wal = g_strconcat (kept_path, "-wal", NULL);
  g_assert_false (g_file_test (kept_wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (kac_test_query_int (store_path, "SELECT count(*) FROM records"), ==, 1);

  run_desk (damaged_again_scenario);
  assert_file_is (kept_path, damaged_bytes);

  g_clear_pointer (&kept_path, g_free);
  g_clear_pointer (&damaged_bytes, g_bytes_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status;

  /* Before anything asks GLib for the user data dir, which it caches. */
  tmp_dir = g_dir_make_tmp ("kac-test-disk-faults-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);

  kac_test_gui_init (&argc, &argv);

  store_path = kac_store_dup_default_path (g_strcmp0 (PROFILE, "development") == 0 ? "kac-desk-devel" : "kac-desk");
  profile_dir = g_path_get_dirname (store_path);
  g_assert_true (g_str_has_prefix (store_path, data_home));

  settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_set_string (settings, "centre-id", "KAC-0042");
  g_settings_set_string (settings, "centre-name", "Ādažu novada VPVKAC");
  g_settings_set_string (settings, "clerk-name", "Līga Ozola");

  g_test_add_func ("/disk-faults/full-disk", test_full_disk);
  g_test_add_func ("/disk-faults/unwritable-profile", test_unwritable_profile);
  g_test_add_func ("/disk-faults/damaged-database", test_damaged);

  status = g_test_run ();

  remove_profile ();
  g_clear_object (&settings);
  kac_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (profile_dir);
  g_free (store_path);

  return status;
}
