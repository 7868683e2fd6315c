/* kac-test-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-test-gui"

#include "config.h"

#include "kac-test-gui.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "kac-window-private.h"

static const char *language = "en";
static char *screenshot_dir;

static void fail_test (const char *format,
                       ...) G_GNUC_PRINTF (1, 2);

/* Fails the running test with @message, the way a failed g_assert() does (in TAP: "Bail out!"
 * with the message), so that the log says what the display did not do. */
static void
fail_test (const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
}

/* Start */

void
kac_test_gui_init (int    *argc,
                   char ***argv)
{
  const char *localedir;

  g_return_if_fail (argc != NULL && argv != NULL);

  for (int i = 1; i < *argc; i++)
    if (g_str_has_prefix ((*argv)[i], "--language="))
      language = (*argv)[i] + strlen ("--language=");
  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");

  setlocale (LC_ALL, "");
  localedir = g_getenv ("KAC_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (argc, argv, NULL);
  gtk_init ();
}

const char *
kac_test_gui_get_language (void)
{
  return language;
}

/* Widgets */

gpointer
kac_test_gui_child (gpointer    widget,
                    GType       type,
                    const char *name)
{
  GObject *object;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);
  if (object == NULL)
    fail_test ("%s has no template child “%s”", g_type_name (type), name);

  return object;
}

void
kac_test_gui_show_page (KacWindow  *window,
                        const char *name)
{
  AdwViewStack *stack;

  g_return_if_fail (KAC_IS_WINDOW (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-page", "s", name);
  stack = kac_test_gui_child (window, KAC_TYPE_WINDOW, "view_stack");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, name);
}

KacQueueRow *
kac_test_gui_find_queue_row (GtkWidget  *widget,
                             const char *uuid)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (KAC_IS_QUEUE_ROW (widget))
    {
      KacRecord *record = kac_queue_row_get_record (KAC_QUEUE_ROW (widget));

      if (record != NULL && g_strcmp0 (kac_record_get_uuid (record), uuid) == 0)
        return KAC_QUEUE_ROW (widget);
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      KacQueueRow *row = kac_test_gui_find_queue_row (c, uuid);

      if (row != NULL)
        return row;
    }

  return NULL;
}

GtkWindow *
kac_test_gui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (object, type) && gtk_widget_get_visible (GTK_WIDGET (object)))
        return GTK_WINDOW (object);
    }

  return NULL;
}

void
kac_test_gui_destroy_and_finalize (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  g_object_ref (window);
  gtk_window_destroy (window);
  kac_test_run_for (50);
  g_assert_finalize_object (window);
}

/* Focus */

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

void
kac_test_gui_make_active (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  /* On a visible window this asks the display for the input focus (without a window manager,
   * as under Xvfb, GDK sets it directly); it becomes active when the focus-in arrives. */
  gtk_window_present (window);
  if (!kac_test_wait_until (window_is_active, window, KAC_TEST_GUI_WAIT_MS))
    fail_test ("The window “%s” did not become the active window within %u ms: another program "
               "on this display may hold the keyboard focus",
               gtk_window_get_title (window) != NULL ? gtk_window_get_title (window) : G_OBJECT_TYPE_NAME (window),
               KAC_TEST_GUI_WAIT_MS);
}

/* Screenshots */

static const char *
get_screenshot_dir (void)
{
  if (screenshot_dir == NULL)
    {
      const char *env_dir = g_getenv ("KAC_SCREENSHOT_DIR");
      const char *build_dir = g_getenv ("G_TEST_BUILDDIR");

      if (env_dir != NULL && *env_dir != '\0')
        screenshot_dir = g_strdup (env_dir);
      else
        screenshot_dir = g_build_filename (build_dir != NULL ? build_dir : ".", "screenshots", NULL);
      if (g_mkdir_with_parents (screenshot_dir, 0755) != 0)
        fail_test ("Cannot make the screenshot folder %s: %s", screenshot_dir, g_strerror (errno));
    }

  return screenshot_dir;
}

static void
dismiss_toasts (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (toplevels, i);

      if (KAC_IS_WINDOW (object))
        _kac_window_dismiss_toast (KAC_WINDOW (object));
    }
}

static gboolean
widget_is_shown (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  guint *n_painted = user_data;

  (*n_painted)++;
}

static gboolean
painted (gpointer data)
{
  return *(guint *) data > 0;
}

/* Asks for a new frame of @widget and waits until its surface has painted one, up to
 * @timeout_ms. A widget is drawn only in its surface's paint phase: until then a widget
 * paintable of it is empty (a popover or dialog just opened has no picture yet). */
static gboolean
wait_for_frame (GtkWidget *widget,
                guint      timeout_ms)
{
  g_autoptr(GdkFrameClock) clock = NULL;
  guint n_painted = 0;
  gulong handler;
  gboolean done;

  if (gtk_widget_get_frame_clock (widget) == NULL)
    return FALSE;

  /* Held: closing the surface meanwhile must not free the clock under the handler. */
  clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_painted);
  gtk_widget_queue_draw (widget);
  done = kac_test_wait_until (painted, &n_painted, timeout_ms);
  g_signal_handler_disconnect (clock, handler);

  return done;
}

/* @widget's current picture, or NULL if it has none yet. */
static GskRenderNode *
snapshot_widget (GtkWidget *widget,
                 int        width,
                 int        height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);

  return gtk_snapshot_free_to_node (snapshot);
}

void
kac_test_gui_save_screenshot (GtkWidget  *widget,
                              const char *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  gint64 deadline;
  guint n_frames = 0;
  int width, height;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL);

  /* A toast left from an earlier step would hide part of the screen; its animation and
   * those of the step itself (revealers, the view stack) end meanwhile. */
  kac_test_run_for (300);
  dismiss_toasts ();
  kac_test_run_for (600);

  deadline = g_get_monotonic_time () + KAC_TEST_GUI_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  if (!kac_test_wait_until (widget_is_shown, widget, KAC_TEST_GUI_WAIT_MS))
    {
      fail_test ("Screenshot “%s”: the %s is not shown after %u ms (mapped: %s, size %d×%d)",
                 name, G_OBJECT_TYPE_NAME (widget), KAC_TEST_GUI_WAIT_MS,
                 gtk_widget_get_mapped (widget) ? "yes" : "no",
                 gtk_widget_get_width (widget), gtk_widget_get_height (widget));
      return;
    }

  /* A fresh frame, so that the picture is of what the test just did; again if the widget was
   * not part of it (its surface painted, but not it yet). */
  while (node == NULL)
    {
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;

      if (left_ms <= 0 || !wait_for_frame (widget, left_ms))
        {
          fail_test ("Screenshot “%s”: the %s (%d×%d, mapped) was not drawn within %u ms "
                     "(%u frames painted without it)",
                     name, G_OBJECT_TYPE_NAME (widget), gtk_widget_get_width (widget),
                     gtk_widget_get_height (widget), KAC_TEST_GUI_WAIT_MS, n_frames);
          return;
        }
      n_frames++;

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      node = snapshot_widget (widget, width, height);
    }

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  file_name = g_strdup_printf ("%s-%s.png", name, language);
  path = g_build_filename (get_screenshot_dir (), file_name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    fail_test ("Screenshot “%s”: cannot write %s", name, path);
  g_test_message ("screenshot: %s", path);
}
