/** The sync pipeline: fetch, parse, validate, compare serials, store, publish; nothing unvalidated gets through. */
package org.rootmirror.sync.accept;
