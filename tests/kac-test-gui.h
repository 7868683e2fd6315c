/* kac-test-gui.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GUI tests share: the language of a run (--language=lv), waiting on the main loop,
 * template children, the desk window's pages and queue rows, the keyboard focus, windows
 * that must be finalized, and screenshots that wait until the widget has really been drawn.
 * The main-loop waits themselves are kac_test_run_for() and kac_test_wait_until() of
 * kac-test-central.h.
 */
#pragma once

#include <adwaita.h>

#include "kac-queue-row.h"
#include "kac-test-central.h"
#include "kac-window.h"

G_BEGIN_DECLS

/* How long the helpers below wait for the display (a frame, a map, the focus) before they
 * fail the test: long enough for a loaded machine, short enough to see a real hang. */
#define KAC_TEST_GUI_WAIT_MS 5000

/* Start */

/* Reads --language=LL from the command line (default "en") and runs the program in that
 * language: LANGUAGE with the C.UTF-8 locale (LANGUAGE is ignored in the C locale) and the
 * catalogues of $KAC_LOCALEDIR (the build's po/). Then g_test_init() and gtk_init(). GTK reads
 * the XDG_* variables when it starts: set them before. */
void        kac_test_gui_init                  (int          *argc,
                                                char       ***argv);
/* "en" or what --language gave. */
const char *kac_test_gui_get_language          (void);

/* Widgets */

/* The template child @name of @widget (a @type); asserts that it exists. */
gpointer    kac_test_gui_child                 (gpointer      widget,
                                                GType         type,
                                                const char   *name);
/* Shows the page @name of @window's view stack through the action its switcher uses. */
void        kac_test_gui_show_page             (KacWindow    *window,
                                                const char   *name);
/* The queue row below @widget that shows the record @uuid, or NULL (only the rows the list
 * has made, i.e. the visible ones). */
KacQueueRow *kac_test_gui_find_queue_row       (GtkWidget    *widget,
                                                const char   *uuid);
/* The first visible toplevel window that is a @type, or NULL. */
GtkWindow  *kac_test_gui_find_toplevel         (GType         type);
/* Destroys @window and asserts that nothing else keeps it alive. */
void        kac_test_gui_destroy_and_finalize  (GtkWindow    *window);

/* Focus */

/* Presents @window and waits until it is the active window (it holds the keyboard focus of
 * the display), up to KAC_TEST_GUI_WAIT_MS; fails the test otherwise. Focus controllers see
 * the focus leave a field only while their window is active: call this before a check that
 * depends on it, and do not iterate the main loop between this and the focus change. */
void        kac_test_gui_make_active           (GtkWindow    *window);

/* Screenshots */

/* Writes @widget (a window, a dialog or a popover: anything with its own surface) to
 * <folder>/<name>-<language>.png, where the folder is $KAC_SCREENSHOT_DIR or else
 * $G_TEST_BUILDDIR/screenshots (made if missing). First lets animations end and takes the
 * toasts of the desk windows off the screen; then waits, up to KAC_TEST_GUI_WAIT_MS, until
 * @widget is mapped with a size and its surface has painted a new frame of it, so that a
 * dialog or popover opened a moment ago is not taken before it is drawn. Fails the test with
 * the reason if that does not happen. */
void        kac_test_gui_save_screenshot       (GtkWidget    *widget,
                                                const char   *name);

G_END_DECLS
