/* bare-soup-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The smallest SoupServer there is: one handler answering 200 "ok" on 127.0.0.1, plain HTTP.
 * idle-close-leak.sh builds it on the fly and runs it next to kac-central, to tell whether
 * a connection leak seen in kac-central is libsoup's own (it shows here too) or ours.
 * Not part of the build: nothing of KAC Desk is linked.
 */
#define G_LOG_DOMAIN "bare-soup-server"

#include <stdio.h>

#include <libsoup/soup.h>

static void
answer_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

int
main (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, answer_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  uris = soup_server_get_uris (server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* The same first line as `kac-central serve`. */
  printf ("Listening on %s\n", uri);
  fflush (stdout);

  g_main_loop_run (loop);
  return 0;
}
