// What almost every feature file reads: the database, the wire's helpers and the caller's scope.
global using Microsoft.EntityFrameworkCore;
global using UniLink.Infrastructure.Auth;
global using UniLink.Infrastructure.Db;
global using UniLink.Infrastructure.Http;
