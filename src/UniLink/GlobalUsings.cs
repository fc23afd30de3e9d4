// What almost every feature file reads: the database, the wire's helpers and the caller's scope.
global using Microsoft.EntityFrameworkCore;
global using UniLink.Infrastructure.Auth;
global using UniLink.Infrastructure.Db;
global using UniLink.Infrastructure.Http;
// The core of the domain every feature builds on: accounts and their agents, inboxes and conversations.
global using UniLink.Features.Accounts;
global using UniLink.Features.Agents;
global using UniLink.Features.Conversations;
global using UniLink.Features.Inboxes;
