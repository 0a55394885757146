/** Keeps the root zone current: fetches, validates, stores and publishes it. */
package org.rootmirror.sync;
