/** The resolver's contract: a question in, a resolution (data, status, error) out. */
package org.rootmirror.resolver;
