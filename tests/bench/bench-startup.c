/* bench-startup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Start to first frame of the desk window. The benchmark starts itself as a fresh child process
 * several times; each child does what kac-desk's main() does (locale, KacApplication, its store
 * in a temporary XDG_DATA_HOME, the sample catalogue) and reports the moment the window's frame
 * clock finished its first paint. The parent measures from just before the spawn, so the time
 * includes loading the program and its libraries. Figures are printed, never asserted.
 */
#define G_LOG_DOMAIN "bench-startup"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

#include "kac-application.h"

#define N_RUNS 12

/* Child */

static gint64 child_start_us;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  GApplication *app = user_data;
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  /* CLOCK_MONOTONIC is shared by every process, so the parent can subtract its own start. */
  g_print ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", now, now - child_start_us);
  g_application_quit (app);
}

static void
activate_after_cb (GApplication *app,
                   gpointer      user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GdkFrameClock *clock;

  g_assert (window != NULL);
  g_assert (kac_application_get_store (KAC_APPLICATION (app)) != NULL);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert (clock != NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), app);
}

static int
run_child (void)
{
  g_autoptr(KacApplication) app = NULL;
  const char *localedir = g_getenv ("KAC_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = kac_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_after_cb), NULL);

  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* Parent */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
print_figures (const char *what,
               double     *values,
               guint       n)
{
  double median;

  qsort (values, n, sizeof (double), compare_doubles);
  median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  g_print ("%-42s median %7.1f ms   min %7.1f ms   max %7.1f ms   (%u runs)\n",
           what, median, values[0], values[n - 1], n);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child_path = g_build_filename (path, name, NULL);

        if (g_file_test (child_path, G_FILE_TEST_IS_DIR) && !g_file_test (child_path, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child_path);
        else
          g_unlink (child_path);
      }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *self_path = NULL;
  double total[N_RUNS];
  double in_process[N_RUNS];
  guint n = 0;

  child_start_us = g_get_monotonic_time ();

  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return run_child ();

  tmp_dir = g_dir_make_tmp ("kac-bench-startup-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);

  /* Run 0 creates the store; the rest open it as a clerk's morning start does. */
  for (guint run = 0; run <= N_RUNS; run++)
    {
      const char *child_argv[] = { self_path, "--child", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      gint64 spawned_at, painted_at, child_us;
      int wait_status;

      spawned_at = g_get_monotonic_time ();
      if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                         &out, &err, &wait_status, &error))
        g_error ("Cannot start the child: %s", error->message);
      if (!g_spawn_check_wait_status (wait_status, &error) ||
          sscanf (out, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &painted_at, &child_us) != 2)
        g_error ("The child failed (%s): %s", error != NULL ? error->message : "no figures", err);

      if (run == 0)
        {
          g_print ("first start (creates the store):          %7.1f ms\n",
                   (painted_at - spawned_at) / 1000.0);
          continue;
        }
      total[n] = (painted_at - spawned_at) / 1000.0;
      in_process[n] = child_us / 1000.0;
      n++;
    }

  print_figures ("process start to first frame", total, n);
  print_figures ("main() to first frame", in_process, n);

  remove_tree (tmp_dir);

  return 0;
}
